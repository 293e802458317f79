/**
 * Evaluation of the whole router on MT-Bench-style suites, and the category-to-expert mapping fitted from it.
 *
 * <p>Plain Java: the runner talks to a router over its public HTTP API, so it scores exactly what users get;
 * {@code router-service} and {@code integration-tests} use it as a library.
 */
package dev.coe.evaluation;
