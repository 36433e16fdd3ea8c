@NullMarked
package com.relaycrm.console.fieldservice;

import org.jspecify.annotations.NullMarked;
