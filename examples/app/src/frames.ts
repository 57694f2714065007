/** The app's own frames of a stack trace (file:line under src/), so every build prints the same thing. */
export function appFrames(error: Error): string[] {
  const out: string[] = [];
  for (const line of (error.stack ?? '').split('\n')) {
    const m = /(?:^|[/(\s])src\/([\w-]+\.ts):(\d+):\d+/.exec(line);
    if (m !== null) out.push(`${m[1]}:${m[2]}`);
  }
  return out;
}
