/** The current time in epoch milliseconds. */
export type Clock = () => number

/** The real clock. */
export const systemClock: Clock = () => Date.now()

/**
 * Testing only, never exported from the package: a config property under this symbol replaces
 * the clock bezzie judges access-token expiry by, so a test can make a token expire without
 * waiting for it. Symbol-keyed so it stays out of {@link BezzieConfig} and its documentation.
 */
export const TEST_CLOCK: unique symbol = Symbol('bezzie.testClock')

/** Whole epoch seconds of `clock`. */
export const epochSeconds = (clock: Clock): number => Math.floor(clock() / 1000)
