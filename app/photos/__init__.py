"""Photos for photo → 3D: the checks every image passes (`images`), upload slots and the images kept (`uploads`),
fetching `image_urls` (`fetch`), and turning a request's `image_urls` into stored images before any job or payment
(`prepare`)."""
