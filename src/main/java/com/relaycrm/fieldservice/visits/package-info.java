@NullMarked
package com.relaycrm.fieldservice.visits;

import org.jspecify.annotations.NullMarked;
