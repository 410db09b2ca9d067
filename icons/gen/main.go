// Command gen draws Freezer's app icon (icons/icon.png, 512x512) with
// image/draw: a rounded blue tile, a white upright freezer with two doors
// and handles, and a snowflake on the upper door. It also writes the
// window's icon (icons/window.png, 128x128), scaled from it.
//
//	go run ./icons/gen
package main

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"

	xdraw "golang.org/x/image/draw"
)

const size = 512

func main() {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x1f, 0x6f, 0xd6, 0xff}
	deep := color.NRGBA{0x15, 0x4c, 0x9a, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	ice := color.NRGBA{0xdc, 0xec, 0xff, 0xff}

	// Background: a rounded square with a soft vertical gradient.
	for y := 0; y < size; y++ {
		t := float64(y) / size
		c := color.NRGBA{lerp(blue.R, deep.R, t), lerp(blue.G, deep.G, t), lerp(blue.B, deep.B, t), 0xff}
		for x := 0; x < size; x++ {
			if inRounded(x, y, 0, 0, size, size, 96) {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	// The freezer body and its two doors.
	fill(img, 136, 72, 376, 456, 28, white)
	fill(img, 152, 88, 360, 232, 14, ice)  // upper door
	fill(img, 152, 248, 360, 440, 14, ice) // lower door
	// Handles.
	fill(img, 320, 112, 336, 208, 6, deep)
	fill(img, 320, 272, 336, 392, 6, deep)
	// A snowflake on the upper door: three crossing bars with tips.
	cx, cy, r := 236.0, 160.0, 52.0
	for i := 0; i < 3; i++ {
		a := float64(i) * math.Pi / 3
		line(img, cx-r*math.Cos(a), cy-r*math.Sin(a), cx+r*math.Cos(a), cy+r*math.Sin(a), 9, blue)
		for _, s := range []float64{-1, 1} {
			tx, ty := cx+s*r*0.62*math.Cos(a), cy+s*r*0.62*math.Sin(a)
			for _, d := range []float64{-1, 1} {
				b := a + d*math.Pi/4
				line(img, tx, ty, tx+s*18*math.Cos(b), ty+s*18*math.Sin(b), 7, blue)
			}
		}
	}
	// Three "products" stacked in the lower door.
	for i, c := range []color.NRGBA{{0xf2, 0x9d, 0x38, 0xff}, {0x3a, 0xb0, 0x6a, 0xff}, {0xe0, 0x4f, 0x4f, 0xff}} {
		y := 296 + i*44
		fill(img, 184, y, 296, y+32, 8, c)
	}

	out := "icons/icon.png"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	write(out, img)
	// The window's icon, smaller: the window system gets it pixel by
	// pixel when the window is made (a 512 px icon took ~18 ms then).
	small := image.NewNRGBA(image.Rect(0, 0, windowSize, windowSize))
	xdraw.CatmullRom.Scale(small, small.Bounds(), img, img.Bounds(), draw.Src, nil)
	write(filepath.Join(filepath.Dir(out), "window.png"), small)
}

// windowSize is the side of the window's icon.
const windowSize = 128

func write(path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func lerp(a, b uint8, t float64) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*t) }

// inRounded reports whether (x, y) lies in the rectangle x0,y0-x1,y1 with
// corners of radius r.
func inRounded(x, y, x0, y0, x1, y1, r int) bool {
	if x < x0 || x >= x1 || y < y0 || y >= y1 {
		return false
	}
	cx := min(max(x, x0+r), x1-r-1)
	cy := min(max(y, y0+r), y1-r-1)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

func fill(img draw.Image, x0, y0, x1, y1, r int, c color.Color) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if inRounded(x, y, x0, y0, x1, y1, r) {
				img.Set(x, y, c)
			}
		}
	}
}

// line draws a thick segment with round ends.
func line(img draw.Image, x0, y0, x1, y1, width float64, c color.Color) {
	minX, maxX := int(math.Min(x0, x1)-width), int(math.Max(x0, x1)+width)
	minY, maxY := int(math.Min(y0, y1)-width), int(math.Max(y0, y1)+width)
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for y := minY; y <= maxY; y++ {
		for x := minX; x <= maxX; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := math.Max(0, math.Min(1, ((px-x0)*dx+(py-y0)*dy)/l2))
			qx, qy := x0+t*dx, y0+t*dy
			if (px-qx)*(px-qx)+(py-qy)*(py-qy) <= width*width/4 {
				img.Set(x, y, c)
			}
		}
	}
}
