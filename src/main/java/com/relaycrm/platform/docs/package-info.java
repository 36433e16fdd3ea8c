@NullMarked
package com.relaycrm.platform.docs;

import org.jspecify.annotations.NullMarked;
