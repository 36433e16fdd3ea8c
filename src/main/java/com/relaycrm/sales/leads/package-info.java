@NullMarked
package com.relaycrm.sales.leads;

import org.jspecify.annotations.NullMarked;
