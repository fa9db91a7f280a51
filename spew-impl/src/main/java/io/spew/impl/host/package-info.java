/** Facts about this host and the view of every host. */
package io.spew.impl.host;
