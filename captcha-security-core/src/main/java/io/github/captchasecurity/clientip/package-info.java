/**
 * Client IP resolution: the {@link io.github.captchasecurity.clientip.ClientIpResolver}
 * strategy and its default, which believes forwarded headers only from trusted proxies.
 */
@NullMarked
package io.github.captchasecurity.clientip;

import org.jspecify.annotations.NullMarked;
