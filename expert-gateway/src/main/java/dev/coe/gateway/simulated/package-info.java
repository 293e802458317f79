/** The in-process simulated expert, a labelled test double and demo aid: {@link dev.coe.gateway.simulated.SimulatedExpert}. */
package dev.coe.gateway.simulated;
