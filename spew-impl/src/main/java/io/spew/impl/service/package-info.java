/** The service catalog: which running, healthy instances offer each service, and at which address. */
package io.spew.impl.service;
