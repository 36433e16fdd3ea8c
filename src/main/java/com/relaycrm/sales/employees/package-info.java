@NullMarked
package com.relaycrm.sales.employees;

import org.jspecify.annotations.NullMarked;
