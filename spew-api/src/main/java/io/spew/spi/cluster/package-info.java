/** The cluster transport SPI: membership and messaging between hosts. */
package io.spew.spi.cluster;
