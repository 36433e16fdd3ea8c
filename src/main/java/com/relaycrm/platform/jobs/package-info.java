@NullMarked
package com.relaycrm.platform.jobs;

import org.jspecify.annotations.NullMarked;
