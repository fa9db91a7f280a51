/**
 * OpenPGP trust for builds, with Bouncy Castle: Spew's own store of trusted keys, the check of a
 * detached signature against it, and the local signing key made on first use.
 */
package io.spew.impl.trust;
