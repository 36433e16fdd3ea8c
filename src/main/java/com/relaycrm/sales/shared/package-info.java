@NullMarked
package com.relaycrm.sales.shared;

import org.jspecify.annotations.NullMarked;
