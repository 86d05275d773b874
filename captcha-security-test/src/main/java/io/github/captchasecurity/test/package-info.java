/**
 * Test kit for applications using captcha-security: an offline provider, a Spring Boot
 * test annotation swapping every provider for it, MockMvc and RestTestClient helpers and
 * a JUnit 5 extension for users of core's filter without Spring.
 */
@NullMarked
package io.github.captchasecurity.test;

import org.jspecify.annotations.NullMarked;
