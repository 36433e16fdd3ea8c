@NullMarked
package com.relaycrm.integrations.pipedrive;

import org.jspecify.annotations.NullMarked;
