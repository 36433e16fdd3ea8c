@NullMarked
package com.relaycrm;

import org.jspecify.annotations.NullMarked;
