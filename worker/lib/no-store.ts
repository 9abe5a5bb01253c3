/**
 * What a webhook route verifies against when the store it names does not exist. The check costs what a wrong
 * signature costs and its result is always discarded, so neither the answer (status and body are those of a bad
 * signature) nor its timing tells a stranger which store ids exist. Public on purpose: it never authenticates.
 */
export const NO_STORE_SECRET = 'nightshift:no-such-store:ffffffffffffffffffffffffffffffffffffffffffff';
