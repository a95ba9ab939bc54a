package io.pnpoperator.endpoint;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The PnP server: devices on one port, people and Prometheus on the other. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PnpEndpointApplication {

    public static void main(String[] args) {
        SpringApplication.run(PnpEndpointApplication.class, args);
    }
}
