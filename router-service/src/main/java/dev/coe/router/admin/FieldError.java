package dev.coe.router.admin;

/**
 * One problem in a submitted configuration, as listed in a 422 problem detail.
 *
 * @param field   path of the offending value, e.g. {@code categories[coding].chain[1]}
 * @param code    machine-readable kind: {@code unknown_expert}, {@code empty_chain}, {@code duplicate_id},
 *                {@code duplicate_expert}, {@code threshold_out_of_range}, {@code expert_referenced}, ...
 * @param message what is wrong, for a person
 */
public record FieldError(String field, String code, String message) {
}
