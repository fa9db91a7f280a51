/** Builds: signed root filesystems that instances run from. */
package io.spew.build;
