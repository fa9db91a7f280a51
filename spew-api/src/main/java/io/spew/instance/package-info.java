/** Instances: running copies of appliances, their states, specs and logs. */
package io.spew.instance;
