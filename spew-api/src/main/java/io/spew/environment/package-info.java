/** Environments: a file of appliances and instance counts that {@code spew start} converges to. */
package io.spew.environment;
