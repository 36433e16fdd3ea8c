@NullMarked
package com.relaycrm.sales.customers;

import org.jspecify.annotations.NullMarked;
