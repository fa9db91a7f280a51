/** Contract suites that every runtime and cluster transport must pass. */
package io.spew.testing;
