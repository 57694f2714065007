import { sleep } from 'greenlets';

export interface RetryOptions {
  attempts: number;
  /** Seconds to wait between attempts. */
  delay: number;
  onRetry?: (attempt: number, error: Error) => void;
}

/** Call `fn` until it returns without throwing, at most `attempts` times, sleeping `delay` between tries. */
export function retry<T>(fn: (attempt: number) => T, options: RetryOptions): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn(attempt);
    } catch (e) {
      if (attempt >= options.attempts) throw e;
      options.onRetry?.(attempt, e as Error);
      sleep(options.delay);
    }
  }
}
