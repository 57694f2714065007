import { sleep } from 'greenlets';

export interface RetryOptions {
  attempts: number;
  /** Seconds to wait between attempts. */
  delay: number;
  onRetry?: (attempt: number, error: Error) => void;
}

/** Call `fn` until it returns without throwing, at most `attempts` times, sleeping `delay` between tries. */
export function retry<T>(fn: (attempt: number) => T, options: RetryOptions): T {
  // Work-around (reported): the analysis calls a parameter of an exported function plainly when nothing
  // green flows into it within this package; a consumer's green callback then fails. Through an `any`
  // value the call is dynamic: green callbacks are called green, plain ones plainly.
  const call: any = fn;
  for (let attempt = 1; ; attempt++) {
    try {
      return call(attempt) as T;
    } catch (e) {
      if (attempt >= options.attempts) throw e;
      options.onRetry?.(attempt, e as Error);
      sleep(options.delay);
    }
  }
}
