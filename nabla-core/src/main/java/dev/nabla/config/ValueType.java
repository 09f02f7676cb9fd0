package dev.nabla.config;

/**
 * How one Java type of a configuration component is read from and written to JSON values (Long, Double, Boolean,
 * String, List, Map, null). Built-in types are in {@link ValueTypes}; a layer with a type of its own registers it there.
 */
public interface ValueType<T> {

    /** The value for a JSON value; throws IllegalArgumentException saying what was expected. */
    T fromJson(Object json);

    /** The JSON value for a value. */
    Object toJson(T value);
}
