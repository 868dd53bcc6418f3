/* dvm base status: the image, its definition and the builder VM. */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "base.h"
#include "baseimg.h"
#include "dvm.h"
#include "paths.h"
#include "util.h"

int
base_status(void)
{
	char *dir = baseimg_dir(), *cache = baseimg_cache();
	char *image = baseimg_image(), *file = xasprintf("%s/Containerfile",
	    dir), *meta = xasprintf("%s/metadata.json", cache), *text;
	char *si = display_path(image), *sf = display_path(file);

	if (path_exists(image)) {
		printf("base image: %s\n", si);
		if ((text = read_file(meta, NULL)) != NULL) {
			printf("built:      %s", text);
			free(text);
		}
	} else {
		printf("base image: <none> (run: dvm base build)\n");
	}
	if (path_exists(file))
		printf("definition: %s\n", sf);
	else
		printf("definition: <none> (run: dvm base init)\n");
	if (paths_instance_exists(baseimg_builder()))
		printf("builder:    dvm-%s present\n", baseimg_builder());
	else
		printf("builder:    <none>\n");
	free(dir);
	free(cache);
	free(image);
	free(file);
	free(meta);
	free(si);
	free(sf);
	return EXIT_OK;
}
