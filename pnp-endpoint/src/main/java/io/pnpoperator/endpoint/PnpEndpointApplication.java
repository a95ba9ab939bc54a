package io.pnpoperator.endpoint;

import io.pnpoperator.endpoint.store.DatabaseCheck;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** The PnP server: devices on one port, people and Prometheus on the other. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PnpEndpointApplication {

    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains(CHECK_DB)) {
            System.exit(checkDatabase(args));
        }
        SpringApplication.run(PnpEndpointApplication.class, args);
    }

    static final String CHECK_DB = "--check-db";

    /**
     * {@code --check-db}: reads the datasource settings as the server would (arguments, environment,
     * application.yaml of the mode), connects once, prints the outcome, and exits 0 or 1.
     */
    static int checkDatabase(String[] args) {
        try (ConfigurableApplicationContext settings = new SpringApplicationBuilder(Settings.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                // The answer is one line; the driver's own report of the same failure would only repeat it.
                .properties("logging.level.org.mariadb.jdbc=OFF").run(args)) {
            Environment env = settings.getEnvironment();
            DatabaseCheck.Result result = DatabaseCheck.check(env.getProperty("spring.datasource.url", ""),
                    env.getProperty("spring.datasource.username"), env.getProperty("spring.datasource.password"));
            System.out.println(result.message());
            return result.ok() ? 0 : 1;
        }
    }

    /** Nothing but the configuration files and arguments: the check starts no server and no database. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Settings {
    }
}
