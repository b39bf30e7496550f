package io.dynamicrag.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The whole service in one process: command side, query side and pipeline workers. */
@SpringBootApplication(scanBasePackages = "io.dynamicrag")
public class DynamicRagApplication {

    public static void main(String[] args) {
        SpringApplication.run(DynamicRagApplication.class, args);
    }
}
