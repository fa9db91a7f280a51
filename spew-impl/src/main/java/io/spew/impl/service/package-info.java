/** The service catalog: which running, healthy instances of every host offer each service, and at which address. */
package io.spew.impl.service;
