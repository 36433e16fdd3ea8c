@NullMarked
package com.relaycrm.fieldservice.imports;

import org.jspecify.annotations.NullMarked;
