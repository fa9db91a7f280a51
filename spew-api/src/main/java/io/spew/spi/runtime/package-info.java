/** The runtime SPI: how instances are run (factory, runtime, context). */
package io.spew.spi.runtime;
