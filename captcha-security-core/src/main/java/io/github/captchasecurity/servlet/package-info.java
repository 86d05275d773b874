/**
 * A plain Jakarta Servlet filter that enforces CAPTCHA verification on matched routes,
 * and its strategies (route rules, failure handling with RFC 9457 rejections). Runs in
 * any servlet container; no Spring needed.
 */
@NullMarked
package io.github.captchasecurity.servlet;

import org.jspecify.annotations.NullMarked;
