/**
 * Helpers shared by the provider implementations: lenient reading of provider JSON and
 * timestamps.
 */
@NullMarked
package io.github.captchasecurity.provider;

import org.jspecify.annotations.NullMarked;
