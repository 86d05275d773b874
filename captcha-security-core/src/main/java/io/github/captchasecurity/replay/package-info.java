/**
 * Replay detection: remembers the digests of tokens already used so each token passes at
 * most once.
 */
@NullMarked
package io.github.captchasecurity.replay;

import org.jspecify.annotations.NullMarked;
