package dev.nabla.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default of a configuration record's component, written as on the command line ({@code "linear"},
 * {@code "1e-5"}, {@code "true"}, {@code "[1, 1]"}, {@code "null"}). A component without it is required.
 *
 * <pre>{@code
 * public record Config(int units, @Default("linear") Activation activation, @Default("true") boolean useBias) { }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
    String value();
}
