// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QSet>
#include <QtGui/QImage>

namespace DemoTest {

/*!
    How many distinct colours a grid of samples of \a image has. A window that
    rendered nothing (or one flat colour) has one; text, frames and buttons
    give dozens.
*/
inline int distinctColors(const QImage &image)
{
    if (image.isNull())
        return 0;
    QSet<QRgb> colors;
    const int stepX = qMax(1, image.width() / 160);
    const int stepY = qMax(1, image.height() / 160);
    for (int y = 0; y < image.height(); y += stepY) {
        for (int x = 0; x < image.width(); x += stepX)
            colors.insert(image.pixel(x, y));
    }
    return int(colors.size());
}

//! True when \a image has visible content (not null, not one flat colour).
inline bool isRendered(const QImage &image)
{
    return distinctColors(image) >= 8;
}

} // namespace DemoTest
