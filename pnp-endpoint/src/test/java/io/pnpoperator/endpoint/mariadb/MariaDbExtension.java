package io.pnpoperator.endpoint.mariadb;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one throwaway MariaDB server ({@link MariaDb}), started on first use and stopped
 * after the class. Use with {@code @ExtendWith(MariaDbExtension.class)} and a {@code MariaDb} parameter.
 */
public final class MariaDbExtension implements ParameterResolver {

    private record Running(MariaDb db) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            db.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MariaDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context.getParent().filter(c -> c.getTestClass().isPresent()
                && c.getTestMethod().isEmpty()).orElse(context);
        return classContext.getStore(ExtensionContext.Namespace.create(MariaDbExtension.class))
                .getOrComputeIfAbsent(Running.class, key -> new Running(MariaDb.start()), Running.class).db();
    }
}
