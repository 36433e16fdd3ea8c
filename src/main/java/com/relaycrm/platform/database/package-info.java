@NullMarked
package com.relaycrm.platform.database;

import org.jspecify.annotations.NullMarked;
