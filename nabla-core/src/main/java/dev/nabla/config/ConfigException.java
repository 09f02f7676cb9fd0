package dev.nabla.config;

/** A configuration value that is missing, unknown or of the wrong kind; the message names the key. */
public class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
