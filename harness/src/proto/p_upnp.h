/* p_upnp.h: UPnP device descriptions, a pure function over a hostile
 * device's bytes.  (SSDP LOCATION URLs are read by proto/p_location.h.) */
#ifndef TB_P_UPNP_H
#define TB_P_UPNP_H

#include <stddef.h>
#include <stdint.h>

#define TB_UPNP_KEY 24
#define TB_UPNP_VAL 160

/* One element of a device description worth reporting. */
struct tb_upnp_item {
	char key[TB_UPNP_KEY];   /* element name: "modelNumber", "serialNumber", ... */
	char value[TB_UPNP_VAL]; /* printable ASCII, truncated; XML entities left as sent */
};

/* The elements of a UPnP device description (UDA 1.x/2.0) that identify the
 * device: friendlyName, manufacturer, modelName, modelNumber, modelDescription,
 * serialNumber, UDN, presentationURL, and each service's serviceType.  Reads
 * at most n bytes, never follows anything, never expands entities.  Returns
 * the number of items written (at most max); *more is set when there were
 * more than max. */
size_t tb_p_upnp_desc_items(const uint8_t *xml, size_t n, struct tb_upnp_item *out, size_t max,
			    int *more);

#endif
