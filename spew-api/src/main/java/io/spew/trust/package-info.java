/** The keys Spew trusts to sign builds. */
package io.spew.trust;
