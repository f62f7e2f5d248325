/**
 * A generated omnichannel population of persons and the customers cxflow must build from it.
 *
 * <p>{@link io.cxflow.testkit.population.Population#generate} writes the events of several hundred
 * persons (web and mobile devices, logins, orders in several currencies, store and call-center contacts,
 * email opens) in the order a collector would have appended them to {@code cx.events.v1}, with the
 * hazards a real log has: redelivered copies, late events, an alias, shared devices and a bad import.
 * {@link io.cxflow.testkit.population.ExpectedResult} is the customer view the identity rules demand,
 * computed from what the generator knows about who owns which identifier, never by running a grouping
 * algorithm over the events.
 */
package io.cxflow.testkit.population;
