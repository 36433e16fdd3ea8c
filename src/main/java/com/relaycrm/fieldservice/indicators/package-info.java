@NullMarked
package com.relaycrm.fieldservice.indicators;

import org.jspecify.annotations.NullMarked;
