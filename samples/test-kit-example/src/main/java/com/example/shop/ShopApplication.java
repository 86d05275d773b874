package com.example.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A user's application protected by captcha-security, tested only through
 * captcha-security-test (see its tests).
 */
@SpringBootApplication
public class ShopApplication {

	/**
	 * Start the application.
	 * @param args the command line
	 */
	public static void main(String[] args) {
		SpringApplication.run(ShopApplication.class, args);
	}

}
