/** tasklib: blocking helpers for greenlets programs. Built with `greenlets build`; consumers see only dist/. */
export { RateLimiter } from './rate-limiter.js';
export { retry, type RetryOptions } from './retry.js';
