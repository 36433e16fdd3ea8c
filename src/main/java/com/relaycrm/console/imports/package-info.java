@NullMarked
package com.relaycrm.console.imports;

import org.jspecify.annotations.NullMarked;
