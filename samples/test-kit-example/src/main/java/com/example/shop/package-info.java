/**
 * An example shop application that depends on the starter as a user would, tested only
 * through the captcha-security-test kit.
 */
package com.example.shop;
