/** The Spew engine: {@link io.spew.impl.SpewEngine} starts it. */
package io.spew.impl;
