package dev.nabla.cli;

/**
 * Bad input from the user (a flag value, a file, a combination of settings): reported as one {@code error:} line
 * with exit status 2, never with a stack trace. The message names the flag or file.
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
