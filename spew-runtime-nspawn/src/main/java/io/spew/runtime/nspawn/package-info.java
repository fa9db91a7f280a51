/** The {@code nspawn} runtime: systemd-nspawn containers over per-instance overlayfs roots. */
package io.spew.runtime.nspawn;
